package io.shm.segment;

import io.shm.exceptions.InvalidNameException;

import java.nio.charset.StandardCharsets;

/**
 * The rules for names, checked before any file system call or directory access.
 * <ul>
 *     <li>A segment name becomes a file name in the segment directory, so it is 1 to
 *     {@link #MAX_SEGMENT_NAME_LENGTH} characters of {@code [A-Za-z0-9._-]} and does not start with
 *     a dot: no {@code /}, no {@code ..}, no NUL, no hidden or temporary file, nothing that escapes
 *     the directory.</li>
 *     <li>An object name lives only in the directory: 1 to
 *     {@link DirectoryEntryDescriptor#MAX_NAME_LENGTH} bytes of UTF-8 without control characters.</li>
 * </ul>
 */
public final class Names
{
    /**
     * Longest segment name.
     */
    public static final int MAX_SEGMENT_NAME_LENGTH = 200;

    private Names()
    {
    }

    /**
     * @param name a segment name.
     * @return the name.
     * @throws InvalidNameException naming the rule the name breaks.
     */
    public static String checkSegmentName(final String name)
    {
        final String problem = segmentNameProblem(name);
        if (problem != null)
        {
            throw new InvalidNameException(problem);
        }
        return name;
    }

    /**
     * @param name a string.
     * @return whether it is a valid segment name (see {@link #checkSegmentName}).
     */
    public static boolean isValidSegmentName(final String name)
    {
        return segmentNameProblem(name) == null;
    }

    /**
     * @return the rule the name breaks, or null if it is a valid segment name.
     */
    private static String segmentNameProblem(final String name)
    {
        if (name == null || name.isEmpty())
        {
            return "segment name is empty";
        }
        if (name.length() > MAX_SEGMENT_NAME_LENGTH)
        {
            return "segment name is " + name.length() + " characters, more than " +
                MAX_SEGMENT_NAME_LENGTH + ": " + quote(name.substring(0, 40)) + "...";
        }
        if (name.charAt(0) == '.')
        {
            return "segment name must not start with '.': " + quote(name);
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!ok)
            {
                return "segment name " + quote(name) + " has character " +
                    describe(c) + " at " + i + "; allowed are letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }

    /**
     * @param segment the segment, for the message.
     * @param name    an object name.
     * @return the name encoded as UTF-8.
     * @throws InvalidNameException naming the rule the name breaks.
     */
    public static byte[] checkObjectName(final String segment, final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new InvalidNameException("object name in segment '" + segment + "' is empty");
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (Character.isISOControl(c))
            {
                throw new InvalidNameException("object name " + quote(name) + " in segment '" + segment +
                    "' has control character " + describe(c) + " at " + i);
            }
        }
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > DirectoryEntryDescriptor.MAX_NAME_LENGTH)
        {
            throw new InvalidNameException("object name " + quote(name) + " in segment '" + segment + "' is " +
                bytes.length + " bytes of UTF-8, more than " + DirectoryEntryDescriptor.MAX_NAME_LENGTH);
        }
        return bytes;
    }

    private static String describe(final char c)
    {
        return String.format("U+%04X", (int)c);
    }

    private static String quote(final String name)
    {
        final StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (Character.isISOControl(c))
            {
                out.append(describe(c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
