package dev.runnel.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {
  @Test
  void everyPartGetsItsOwnPort() {
    Layout layout = new Layout(Path.of("/data"), 8080, 18100);
    List<Integer> ports = new ArrayList<>();
    ports.add(layout.gatewayPort());
    ports.add(layout.postgresPort());
    ports.add(layout.kafkaPort());
    ports.add(layout.kafkaControllerPort());
    ports.add(layout.keycloakPort());
    ports.add(layout.keycloakManagementPort());
    ports.add(layout.sandboxPort());
    Layout.SERVICES.forEach(s -> ports.add(layout.servicePort(s)));

    assertThat(ports).doesNotHaveDuplicates().hasSize(12);
    assertThat(layout.keycloakIssuer()).isEqualTo("http://127.0.0.1:18103/realms/runnel");
    assertThat(layout.credentials()).isEqualTo(Path.of("/data/credentials"));
  }
}
