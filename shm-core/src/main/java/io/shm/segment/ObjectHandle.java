package io.shm.segment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * The address of a named object: its segment's directory and name, its own name, and a variant
 * some types use (the end of a pipe). It travels as one text word ({@link #encode()}), for
 * instance as a child process's argument, and names the object, not its contents: the receiver
 * opens the object, with the checks of any open.
 *
 * @param directory the segment's directory.
 * @param segment   the segment's name.
 * @param name      the object's name.
 * @param variant   empty, or what the object's type needs besides its name.
 */
public record ObjectHandle(Path directory, String segment, String name, String variant)
{
    private static final String PREFIX = "shm-handle:";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /**
     * Checks the fields.
     */
    public ObjectHandle
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variant, "variant");
    }

    /**
     * @param segment the object's segment.
     * @param name    the object's name.
     * @param variant empty, or what the object's type needs besides its name.
     * @return the handle.
     */
    public static ObjectHandle of(final Segment segment, final String name, final String variant)
    {
        return new ObjectHandle(segment.path().toAbsolutePath().getParent(), segment.name(), name, variant);
    }

    /**
     * @return the handle as one word of URL-safe text.
     */
    public String encode()
    {
        return PREFIX + part(directory.toString()) + "." + part(segment) + "." + part(name) + "." + part(variant);
    }

    /**
     * @param text what {@link #encode()} made.
     * @return the handle.
     * @throws IllegalArgumentException if {@code text} is not an encoded handle.
     */
    public static ObjectHandle decode(final String text)
    {
        final String[] parts = text.startsWith(PREFIX) ? text.substring(PREFIX.length()).split("\\.", -1) : new String[0];
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("not an object handle: " + text);
        }
        try
        {
            return new ObjectHandle(Path.of(text(parts[0])), text(parts[1]), text(parts[2]), text(parts[3]));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("not an object handle: " + text, ex);
        }
    }

    /**
     * @return whether {@code text} looks like an encoded handle.
     */
    public static boolean isHandle(final String text)
    {
        return text.startsWith(PREFIX);
    }

    /**
     * @return the options to open the handle's segment with: the defaults in its directory.
     */
    public SegmentOptions segmentOptions()
    {
        return SegmentOptions.defaults().withDirectory(directory);
    }

    private static String part(final String value)
    {
        return ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(final String part)
    {
        return new String(DECODER.decode(part), StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return "object '" + name + "'" + (variant.isEmpty() ? "" : " (" + variant + ")") + " of segment '" + segment +
            "' in " + directory;
    }
}
