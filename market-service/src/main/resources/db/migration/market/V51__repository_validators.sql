-- The HTTP validators (ETag, Last-Modified) a repository's server sent with the index the catalog
-- was built from, so a re-sync can ask "changed since?" and get 304 instead of the whole index.
-- validators_version is the repository's settings version they were obtained with: after the URL,
-- credentials or CA change (the version moves on), they are not sent again.
alter table chart_repository add column index_etag text;
alter table chart_repository add column index_last_modified text;
alter table chart_repository add column validators_version bigint;
