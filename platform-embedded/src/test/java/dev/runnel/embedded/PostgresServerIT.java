package dev.runnel.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** `runnel up` keeps its data: a second start on the same directory finds it. */
class PostgresServerIT {

  @Test
  void aRestartOnTheSameDirectoryFindsTheData() throws Exception {
    Path dir = Files.createTempDirectory("runnel-pg-");
    int port = Ports.free();
    try (PostgresServer first = PostgresServer.start(dir, port, true)) {
      first.database("market");
      try (Connection c = DriverManager.getConnection(first.jdbcUrl("market"), "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("create table kept (v text)");
        s.execute("insert into kept values ('still here')");
      }
    }
    assertThat(Ports.inUse(port)).isFalse();

    try (PostgresServer second = PostgresServer.start(dir, port, true);
        Connection c = DriverManager.getConnection(second.jdbcUrl("market"), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select v from kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("still here");
      assertThat(second.database("market")).isEqualTo("market");
      try (ResultSet fsync = s.executeQuery("show fsync")) {
        assertThat(fsync.next()).isTrue();
        assertThat(fsync.getString(1)).as("data a user keeps is written durably").isEqualTo("on");
      }
    }
  }
}
