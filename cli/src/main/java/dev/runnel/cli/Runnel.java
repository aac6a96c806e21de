package dev.runnel.cli;

import dev.runnel.cli.auth.LoginCommand;
import dev.runnel.cli.auth.TokenCommand;
import dev.runnel.cli.health.HealthCommand;
import dev.runnel.cli.up.DownCommand;
import dev.runnel.cli.up.StatusCommand;
import dev.runnel.cli.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runnel} command. */
@Command(
    name = "runnel",
    mixinStandardHelpOptions = true,
    versionProvider = Runnel.Version.class,
    description = "Runnel: application delivery for Kubernetes, simply.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      LoginCommand.class,
      TokenCommand.class,
      HealthCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Runnel implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Runnel()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version of the build this command came from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Runnel.class.getPackage().getImplementationVersion();
      return new String[] {"runnel " + (v == null ? "development build" : v)};
    }
  }
}
