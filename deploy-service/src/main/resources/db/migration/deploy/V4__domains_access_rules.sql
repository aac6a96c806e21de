-- Custom domains of instances: a host is held once per cluster (all namespaces, all teams).
-- basic_auth holds user names with bcrypt hashes only (the htpasswd lines); never passwords.
create table instance_domain (
  cluster          varchar(63) not null,
  host             varchar(253) not null,
  instance_id      uuid not null references instance (id),
  namespace        varchar(63) not null,
  service          varchar(63) not null,
  port             varchar(15) not null,
  tls_mode         varchar(8) not null,
  tls_secret       varchar(253),
  tls_issuer       varchar(253),
  tls_issuer_kind  varchar(16),
  ingress_class    varchar(253) not null,
  ip_allow_list    text not null,
  basic_auth       text not null,
  waf_protected    boolean not null,
  rendering        varchar(32) not null,
  created_at       timestamptz not null,
  updated_at       timestamptz not null,
  primary key (cluster, host)
);
create index instance_domain_instance on instance_domain (instance_id, host);
