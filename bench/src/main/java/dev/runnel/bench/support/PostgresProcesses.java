package dev.runnel.bench.support;

import java.util.regex.Pattern;

/**
 * Recognises the processes of one PostgreSQL server (the postmaster and its backends) by the port
 * it listens on. They are not descendants of the JVM that started them: {@code pg_ctl} starts the
 * postmaster and exits, so it is re-parented.
 */
public final class PostgresProcesses {
  private final Pattern postmaster;

  public PostgresProcesses(int port) {
    this.postmaster = Pattern.compile("^\\S*/bin/postgres .*-p " + port + "( .*)?$");
  }

  public boolean contains(ProcessHandle p) {
    if (isPostmaster(p)) {
      return true;
    }
    // Backends and helpers rename themselves ("postgres: user db host idle").
    return CpuMeter.commandLine(p).startsWith("postgres:")
        && p.parent().map(this::isPostmaster).orElse(false);
  }

  private boolean isPostmaster(ProcessHandle p) {
    return postmaster.matcher(CpuMeter.commandLine(p)).matches();
  }
}
