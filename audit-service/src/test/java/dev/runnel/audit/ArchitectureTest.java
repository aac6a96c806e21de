package dev.runnel.audit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.runnel.audit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The trail's rules (records, hash chain, verification) stay plain Java. */
  @ArchTest
  static final ArchRule domainDependsOnNoFramework =
      noClasses()
          .that()
          .resideInAPackage("dev.runnel.audit..domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "io.r2dbc..",
              "org.apache.kafka..",
              "io.cloudevents..",
              "io.fabric8..",
              "reactor..",
              "dev.runnel.kit..");

  /** Only the adapters know how the trail is stored and reached. */
  @ArchTest
  static final ArchRule applicationDoesNotReachIntoAdapters =
      noClasses()
          .that()
          .resideInAnyPackage("dev.runnel.audit..domain..", "dev.runnel.audit..application..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.runnel.audit..adapter..");
}
