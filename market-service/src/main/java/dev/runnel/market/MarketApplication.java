package dev.runnel.market;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The app market: categories now; repositories, catalog and publishing follow. */
@SpringBootApplication
public class MarketApplication {
  public static void main(String[] args) {
    SpringApplication.run(MarketApplication.class, args);
  }
}
