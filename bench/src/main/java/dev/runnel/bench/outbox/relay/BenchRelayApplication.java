package dev.runnel.bench.outbox.relay;

import dev.runnel.bench.support.ParentWatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The relay under test: a service with nothing but the platform kit, so that the outbox relay it
 * runs is exactly the one every Runnel service runs. The benchmark driver writes the outbox rows
 * into this service's database itself and kills this process to test recovery.
 */
@SpringBootApplication
public class BenchRelayApplication {
  public static void main(String[] args) {
    ParentWatch.install();
    SpringApplication.run(BenchRelayApplication.class, args);
  }
}
