package dev.runnel.market;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the market's repositories, sync and caches ({@code runnel.market.*}).
 *
 * @param secretKey base64 of a 16, 24 or 32 byte AES key that seals repository passwords and
 *     tokens; without it, repositories with credentials are refused (never stored in the clear)
 * @param indexMaxBytes the largest index.yaml a sync downloads and parses
 * @param packageMaxBytes the largest chart package the market downloads
 * @param packageCacheMaxBytes how many bytes of downloaded packages the database keeps
 * @param iconMaxBytes the largest icon the market fetches and serves
 * @param connectTimeout how long a connection to a repository may take
 * @param fetchTimeout how long one whole download (index, package, icon) may take
 * @param defaultSyncInterval how often a repository is synced when its admin does not say
 * @param schedulerTick how often the scheduler looks for repositories due for a sync
 * @param syncBatchSize index entries written to the database per statement
 * @param iconAllowPrivateAddresses whether icons may be fetched from loopback, link-local and
 *     private addresses; off, because icon URLs come from third-party indexes (server-side request
 *     forgery)
 */
@ConfigurationProperties("runnel.market")
@Validated
public record MarketProperties(
    String secretKey,
    @DefaultValue("67108864") @Min(1024) long indexMaxBytes,
    @DefaultValue("52428800") @Min(1024) long packageMaxBytes,
    @DefaultValue("536870912") @Min(0) long packageCacheMaxBytes,
    @DefaultValue("524288") @Min(1024) long iconMaxBytes,
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue("120s") Duration fetchTimeout,
    @DefaultValue("1h") Duration defaultSyncInterval,
    @DefaultValue("30s") Duration schedulerTick,
    @DefaultValue("2000") @Min(1) @Max(20000) int syncBatchSize,
    @DefaultValue("false") boolean iconAllowPrivateAddresses) {}
