package dev.runnel.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a running stack tells other {@code runnel} commands: the supervisor's pid and each
 * component's port, pid and health URL. Written when the stack is up, removed when it stops.
 */
public record StateFile(
    long pid,
    String startedAt,
    String gatewayUrl,
    String keycloakIssuer,
    boolean simulatedCluster,
    List<Component> components) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * @param health an HTTP URL that answers 200 when healthy, or {@code tcp://host:port}
   */
  public record Component(String name, int port, long pid, String health) {}

  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The state of the stack in that data dir, or null when none is recorded. */
  public static StateFile read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    return JSON.readValue(Files.readString(file), StateFile.class);
  }

  public boolean supervisorAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
