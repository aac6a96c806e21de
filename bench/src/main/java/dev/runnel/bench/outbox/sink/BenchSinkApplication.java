package dev.runnel.bench.outbox.sink;

import dev.runnel.bench.support.ParentWatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The consumer under test: a service whose only handler records each event it handles, so that the
 * driver can read lag, loss, duplicates and order from one table.
 */
@SpringBootApplication
public class BenchSinkApplication {
  public static void main(String[] args) {
    ParentWatch.install();
    SpringApplication.run(BenchSinkApplication.class, args);
  }
}
