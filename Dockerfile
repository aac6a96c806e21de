# One image per Runnel service, from the runnable jar the Maven build makes:
#   ./mvnw -B -DskipTests package
#   docker build --build-arg MODULE=market-service -t runnel/market-service .
# docker-compose.yml builds all six this way.
FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 --home-dir /app runnel
WORKDIR /app
COPY ${MODULE}/target/${MODULE}-*-exec.jar /app/app.jar
# Nested jars cost start-up CPU; the extracted layout starts faster (docs/operations.md).
RUN java -Djarmode=tools -jar app.jar extract --destination /app/service \
    && rm app.jar && chown -R runnel /app
USER 10001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/service/app.jar"]
