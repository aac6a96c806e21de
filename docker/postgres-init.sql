-- One database per service (ARCHITECTURE.md); the services migrate their own schemas.
create database market;
create database deploy;
create database monitor;
create database audit;
create database identity;
