package dev.runnel.market;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The app market: categories, chart repositories, catalog, packages and a Helm repository. */
@SpringBootApplication
@EnableConfigurationProperties(MarketProperties.class)
public class MarketApplication {
  public static void main(String[] args) {
    SpringApplication.run(MarketApplication.class, args);
  }
}
