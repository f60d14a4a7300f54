package dev.gafail.infra;

import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;

/**
 * The CDK app: region-a's and region-b's stacks, the global one, the state bucket's and, with a writer endpoint,
 * region-a's routes to region-b, from one configuration file.
 * {@code infra/aws/synth} runs it; {@code cdk deploy --app infra/aws/cdk.out} deploys what it wrote.
 */
public final class GafailInfra {

    /**
     * The stacks of one app, built from one configuration.
     *
     * @param peering region-a's routes to region-b, with {@code database.writerEndpoint}
     */
    public record Stacks(App app, RegionalStack primary, RegionalStack secondary, GlobalStack global,
                         StateStack state, Optional<Stack> peering) {
    }

    private GafailInfra() {
    }

    public static Stacks build(InfraConfig config, String outdir) {
        App app = new App(AppProps.builder().outdir(outdir).build());
        RegionalStack primary = new RegionalStack(app, config, config.primary(), null);
        RegionalStack secondary = new RegionalStack(app, config, config.secondary(), primary);
        // The secondary joins the global database that the primary creates.
        secondary.addStackDependency(primary);
        Optional<Stack> peering = config.database().writerEndpoint()
                ? Optional.of(WriterPeering.connect(app, config, primary, secondary)) : Optional.empty();
        StateStack state = new StateStack(app, config);
        GlobalStack global = new GlobalStack(app, config, List.of(primary, secondary), state);
        return new Stacks(app, primary, secondary, global, state, peering);
    }

    /**
     * {@code GafailInfra [CONFIG [OUTDIR]]}: synthesizes the templates (into OUTDIR, else the CDK CLI's
     * {@code CDK_OUTDIR}, else infra/aws/cdk.out); a bad configuration is exit 2, one line per problem.
     */
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "infra/aws/gafail-infra.yaml");
        String outdir = args.length > 1 ? args[1]
                : System.getenv().getOrDefault("CDK_OUTDIR", "infra/aws/cdk.out");
        InfraConfig config;
        try {
            config = Files.exists(file) ? new InfraConfigLoader().load(file) : InfraConfig.defaults();
        } catch (InvalidFileException e) {
            e.problems().stream().map(Problem::format).forEach(System.err::println);
            System.exit(2);
            return;
        }
        Stacks stacks = build(config, outdir);
        stacks.app().synth();
        System.out.println("synthesized " + config.stackName(config.primary()) + ", "
                + config.stackName(config.secondary()) + ", " + config.globalStackName() + " (" + config.mode()
                .name().toLowerCase(Locale.ROOT).replace('_', '-') + "), " + config.stateStackName() + " ("
                + config.state().awsRegion() + ")" + stacks.peering().map(p -> " and " + p.getStackName()
                + " (region-a's routes to region-b)").orElse("") + " into " + outdir);
    }
}
