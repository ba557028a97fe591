package io.shm.segment;

import io.shm.exceptions.InvalidNameException;

/**
 * The companion objects that some objects make beside themselves, named after them: every suffix
 * the library appends to a name is here, so that a user can keep clear of them and a reader of
 * {@code scripts/shm.sh show} knows whose each object is.
 * <table>
 *     <caption>Companions</caption>
 *     <tr><th>suffix</th><th>made by</th><th>what</th></tr>
 *     <tr><td>{@code .lock}</td><td>{@code ShmQueue}, {@code Locked} values</td><td>the guarding lock</td></tr>
 *     <tr><td>{@code .notEmpty}, {@code .notFull}</td><td>{@code ShmQueue}</td><td>its conditions</td></tr>
 *     <tr><td>{@code .allDone}</td><td>{@code ShmJoinableQueue}</td><td>the condition {@code join()} waits on</td></tr>
 *     <tr><td>{@code .1to2}, {@code .2to1}</td><td>{@code Pipe}</td><td>one channel per direction</td></tr>
 *     <tr><td>{@code .x0}, {@code .x1}, &hellip;</td><td>{@code ShmMap}, {@code ShmList}, {@code ShmNamespace}</td><td>the extents its heap grows into</td></tr>
 *     <tr><td>{@code .bridged}</td><td>{@code BridgeIn}</td><td>the last remote sequence delivered into a broadcast or channel</td></tr>
 *     <tr><td>{@code .forwarded}</td><td>{@code BridgeOut}</td><td>how many messages of a channel went out, and where in it</td></tr>
 *     <tr><td>{@code #NAME}</td><td>{@code lock.newCondition(NAME)}</td><td>a named condition of the lock</td></tr>
 * </table>
 * {@link #of} checks that the composed name is a valid object name, so that an owner whose name
 * leaves no room for its companions is refused when it is made, with both names in the message.
 */
public enum Companion
{
    LOCK(".lock"),
    NOT_EMPTY(".notEmpty"),
    NOT_FULL(".notFull"),
    ALL_DONE(".allDone"),
    ONE_TO_TWO(".1to2"),
    TWO_TO_ONE(".2to1"),
    EXTENT(".x"),
    BRIDGED(".bridged"),
    FORWARDED(".forwarded");

    /**
     * What separates a lock's name from the name of one of its conditions.
     */
    public static final String CONDITION_SEPARATOR = "#";

    private final String suffix;

    Companion(final String suffix)
    {
        this.suffix = suffix;
    }

    /**
     * @return the suffix appended to the owner's name.
     */
    public String suffix()
    {
        return suffix;
    }

    /**
     * @param segment the segment, for the message.
     * @param owner   the owning object's name.
     * @return the companion's object name.
     * @throws InvalidNameException if the composed name is not a valid object name.
     */
    public String of(final String segment, final String owner)
    {
        return checked(segment, owner, owner + suffix);
    }

    /**
     * @param segment the segment, for the message.
     * @param owner   the owning object's name.
     * @param index   which of the owner's numbered companions.
     * @return the companion's object name, the suffix followed by the index.
     * @throws InvalidNameException if the composed name is not a valid object name.
     */
    public String of(final String segment, final String owner, final int index)
    {
        return checked(segment, owner, owner + suffix + index);
    }

    /**
     * @param segment   the segment, for the message.
     * @param lock      the lock's name.
     * @param condition the condition's name within the lock.
     * @return the condition's object name, {@code lock#condition}.
     */
    public static String condition(final String segment, final String lock, final String condition)
    {
        return checked(segment, lock, lock + CONDITION_SEPARATOR + condition);
    }

    /**
     * @param candidate an object name.
     * @param owner     another object name.
     * @return whether {@code candidate} is the name of one of {@code owner}'s companions.
     */
    public static boolean isCompanionOf(final String candidate, final String owner)
    {
        if (!candidate.startsWith(owner) || candidate.length() == owner.length())
        {
            return false;
        }
        final String rest = candidate.substring(owner.length());
        if (rest.startsWith(CONDITION_SEPARATOR))
        {
            return true;
        }
        for (final Companion companion : values())
        {
            if (companion == EXTENT ? rest.matches("\\.x\\d+") : rest.equals(companion.suffix))
            {
                return true;
            }
        }
        return false;
    }

    private static String checked(final String segment, final String owner, final String name)
    {
        try
        {
            Names.checkObjectName(segment, name);
        }
        catch (final InvalidNameException ex)
        {
            throw new InvalidNameException("'" + owner + "' leaves no room for its companion '" + name + "': " +
                ex.getMessage(), ex);
        }
        return name;
    }
}
