package io.shm.process;

/**
 * Starts {@link ChildMain} as a daemon child whose recorded parent is not its parent, as if the
 * parent had died before the child asked to die with it.
 */
public final class ChildMainProbe
{
    /**
     * The exit code of such a child.
     */
    public static final int ORPHANED = ChildMain.ORPHANED;

    private ChildMainProbe()
    {
    }

    /**
     * @param mainClass what the child would have run.
     * @return the builder.
     */
    public static JvmProcess.Builder withAbsentParent(final String mainClass)
    {
        // pid 1 is never this test's parent JVM: the check sees a parent other than the recorded one.
        return JvmProcess.builder(ChildMain.class).jvmArgs("-D" + ChildMain.DAEMON_PARENT_PROPERTY + "=1")
            .args(mainClass);
    }
}
