package dev.gafail.cli;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.engine.StopSignal;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Run by the build before the tests (cli/pom.xml, in a JVM of its own): one manual page per command
 * from the same picocli model as {@code --help}, which picocli-codegen writes as AsciiDoc and
 * asciidoctor turns into the roff that the jar carries ({@code gafail man}). Here rather than in main:
 * both are needed at build time only.
 *
 * <p>Arguments: the folder for the AsciiDoc, the folder for the roff pages.
 */
public final class ManPages {

    private ManPages() {
    }

    public static void main(String[] args) throws IOException {
        File asciidoc = new File(args[0]);
        File roff = new File(args[1]);
        CliContext context = new CliContext(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()),
                InputStream.nullInputStream(), false, Map.of(), Path.of("."), Clock.systemUTC(),
                BuiltinActions::registry, new StopSignal(), List.of());
        CommandLine line = GafailCommandLine.create(context, new ConsoleMask());
        int code = ManPageGenerator.generateManPage(asciidoc, null, new boolean[0], true, line.getCommandSpec());
        if (code != 0) {
            throw new IllegalStateException("picocli's ManPageGenerator failed: exit " + code);
        }
        Options manpage = Options.builder().backend("manpage").docType("manpage").toDir(roff).mkDirs(true)
                .safe(SafeMode.UNSAFE).build();
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            for (File page : asciidoc.listFiles((dir, name) -> name.endsWith(".adoc"))) {
                asciidoctor.convertFile(page, manpage);
            }
        }
    }
}
