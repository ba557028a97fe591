package io.shm.launch;

import io.shm.segment.ObjectHandle;
import io.shm.segment.Shared;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of a child that runs a {@link ProcessTarget}:
 * {@code TargetMain TARGET_CLASS ARGUMENT...}, each argument one encoded word (see
 * {@link TargetArgs}).
 */
public final class TargetMain
{
    private TargetMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 0)
        {
            throw new IllegalArgumentException("usage: TargetMain TARGET_CLASS [ARGUMENT...]");
        }
        final ProcessTarget target = create(Class.forName(args[0]));
        try (TargetArgs targetArgs = new TargetArgs(Arrays.copyOfRange(args, 1, args.length)))
        {
            target.run(targetArgs);
        }
    }

    /**
     * @return the command line of a child running {@code target} with {@code args}.
     */
    static String[] commandLine(final Class<? extends ProcessTarget> target, final Object... args)
    {
        checkCreatable(target);
        final List<String> line = new ArrayList<>();
        line.add(target.getName());
        for (int i = 0; i < args.length; i++)
        {
            line.add(encode(i, args[i]));
        }
        return line.toArray(String[]::new);
    }

    private static String encode(final int index, final Object arg)
    {
        if (arg instanceof Shared shared)
        {
            return shared.handle().encode();
        }
        if (arg instanceof ObjectHandle handle)
        {
            return handle.encode();
        }
        try
        {
            return TargetArgs.encodeValue(arg);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("argument " + index + ": " + ex.getMessage(), ex);
        }
    }

    private static void checkCreatable(final Class<?> target)
    {
        if (!ProcessTarget.class.isAssignableFrom(target) || !Modifier.isPublic(target.getModifiers()) ||
            Modifier.isAbstract(target.getModifiers()) ||
            (target.getEnclosingClass() != null && !Modifier.isStatic(target.getModifiers())))
        {
            throw new IllegalArgumentException(target.getName() + " must be a public, concrete, top-level or static " +
                "nested class implementing ProcessTarget");
        }
        try
        {
            final Constructor<?> constructor = target.getConstructor();
            if (!Modifier.isPublic(constructor.getModifiers()))
            {
                throw new NoSuchMethodException();
            }
        }
        catch (final NoSuchMethodException ex)
        {
            throw new IllegalArgumentException(target.getName() + " needs a public no-argument constructor: the child " +
                "creates it", ex);
        }
    }

    private static ProcessTarget create(final Class<?> target) throws ReflectiveOperationException
    {
        checkCreatable(target);
        return (ProcessTarget)target.getConstructor().newInstance();
    }
}
