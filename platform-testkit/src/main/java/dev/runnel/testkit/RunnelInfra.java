package dev.runnel.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** Marks a test class that runs on the real embedded servers of {@link RunnelInfraExtension}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RunnelInfraExtension.class)
public @interface RunnelInfra {
  /** Start embedded PostgreSQL. */
  boolean postgres() default true;

  /** Start the Kafka broker. */
  boolean kafka() default true;
}
