package io.shm.collections;

/**
 * For a child that is to be killed inside a step: a {@link Stripe.Steps} that, at the named point
 * of {@code op:point}, says "stopped at op:point" and sleeps until the process is killed.
 */
final class StopAt implements Stripe.Steps
{
    private final String point;
    private final String op;

    StopAt(final String point)
    {
        this.point = point;
        this.op = point.substring(0, point.indexOf(':'));
    }

    /**
     * @return the operation the point is inside: what the child is to do.
     */
    String op()
    {
        return op;
    }

    @Override
    public void at(final String at)
    {
        if (point.equals(op + ":" + at))
        {
            System.out.println("stopped at " + point);
            try
            {
                Thread.sleep(Long.MAX_VALUE);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException("interrupted at " + point, ex);
            }
        }
    }
}
