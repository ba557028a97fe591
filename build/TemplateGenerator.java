import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the Java sources of a primitive family from one template each, at build time (the
 * module's pom runs it in generate-sources): {@code java TemplateGenerator.java TEMPLATES OUT}.
 * <p>
 * A template {@code *.java.tmpl} starts with directives, then the source:
 * <pre>
 * //# file $Type$Value.java
 * //# instance Type=Int type=int Boxed=Integer
 * //# instance Type=Long type=long Boxed=Long
 * </pre>
 * A value may be empty; in a value, {@code \s} stands for a space and {@code \n} for a line break.
 * In the source, the lines between {@code //# if Key} and {@code //# end} are kept only for the
 * instances whose {@code Key} is {@code yes} (sections do not nest).
 * For each instance, every {@code $Key$} in the file name and the source is replaced by its value,
 * and the result is written under OUT at the template's relative directory. A key left unreplaced
 * fails the build; a file whose text is unchanged is not rewritten.
 */
public final class TemplateGenerator
{
    private static final Pattern TOKEN = Pattern.compile("\\$([A-Za-z][A-Za-z0-9]*)\\$");

    private TemplateGenerator()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            throw new IllegalArgumentException("usage: java TemplateGenerator.java TEMPLATE_DIR OUTPUT_DIR");
        }
        final Path templates = Path.of(args[0]);
        final Path output = Path.of(args[1]);
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(templates))
        {
            files = walk.filter(path -> path.toString().endsWith(".java.tmpl")).sorted().toList();
        }
        int written = 0;
        for (final Path template : files)
        {
            written += expand(template, templates.relativize(template).getParent(), output);
        }
        System.out.println("TemplateGenerator: " + files.size() + " template(s), " + written + " file(s) written to " + output);
    }

    private static int expand(final Path template, final Path relativeDirectory, final Path output) throws IOException
    {
        final List<String> lines = Files.readAllLines(template, StandardCharsets.UTF_8);
        String fileName = null;
        final List<Map<String, String>> instances = new ArrayList<>();
        int body = 0;
        while (body < lines.size() && lines.get(body).startsWith("//#"))
        {
            final String[] words = lines.get(body).substring(3).trim().split("\\s+");
            switch (words[0])
            {
                case "file" -> fileName = words[1];
                case "instance" ->
                {
                    final Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 1; i < words.length; i++)
                    {
                        final int eq = words[i].indexOf('=');
                        values.put(words[i].substring(0, eq), unescape(words[i].substring(eq + 1)));
                    }
                    instances.add(values);
                }
                default -> throw new IllegalArgumentException(template + ": unknown directive " + lines.get(body));
            }
            body++;
        }
        if (fileName == null || instances.isEmpty())
        {
            throw new IllegalArgumentException(template + " needs a '//# file' and at least one '//# instance' line");
        }
        final List<String> source = lines.subList(body, lines.size());
        int written = 0;
        for (final Map<String, String> values : instances)
        {
            final String name = substitute(fileName, values, template);
            final String text = substitute(keepSections(source, values, template), values, template);
            final Path target = output.resolve(relativeDirectory == null ? Path.of(name) : relativeDirectory.resolve(name));
            if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(text))
            {
                Files.createDirectories(target.getParent());
                Files.writeString(target, text, StandardCharsets.UTF_8);
                written++;
            }
        }
        return written;
    }

    private static String keepSections(final List<String> lines, final Map<String, String> values, final Path template)
    {
        final StringBuilder out = new StringBuilder();
        String section = null;
        boolean keep = true;
        for (final String line : lines)
        {
            final String trimmed = line.trim();
            if (trimmed.startsWith("//# if "))
            {
                if (section != null)
                {
                    throw new IllegalArgumentException(template + ": section '" + trimmed + "' inside section " + section);
                }
                section = trimmed.substring("//# if ".length()).trim();
                if (!values.containsKey(section))
                {
                    throw new IllegalArgumentException(template + ": no value for section " + section + " in " + values);
                }
                keep = "yes".equals(values.get(section));
            }
            else if (trimmed.equals("//# end"))
            {
                if (section == null)
                {
                    throw new IllegalArgumentException(template + ": '//# end' outside a section");
                }
                section = null;
                keep = true;
            }
            else if (keep)
            {
                out.append(line).append('\n');
            }
        }
        if (section != null)
        {
            throw new IllegalArgumentException(template + ": section " + section + " is not ended");
        }
        return out.toString();
    }

    private static String unescape(final String value)
    {
        return value.replace("\\s", " ").replace("\\n", "\n");
    }

    private static String substitute(final String text, final Map<String, String> values, final Path template)
    {
        final Matcher matcher = TOKEN.matcher(text);
        final StringBuilder out = new StringBuilder(text.length());
        while (matcher.find())
        {
            final String value = values.get(matcher.group(1));
            if (value == null)
            {
                throw new IllegalArgumentException(template + ": no value for $" + matcher.group(1) + "$ in " + values);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
