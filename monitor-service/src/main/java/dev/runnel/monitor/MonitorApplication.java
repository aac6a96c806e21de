package dev.runnel.monitor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * monitor-service owns metrics, alert rules, alerts, silences, notification channels and the
 * dashboard.
 *
 * <p>It runs now with its database, migrations, events, security and probes; its domain arrives
 * with the issues that build it.
 */
@SpringBootApplication
public class MonitorApplication {
  public static void main(String[] args) {
    SpringApplication.run(MonitorApplication.class, args);
  }
}
