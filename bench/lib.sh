# Shared by bench/*.sh (sourced, not run).

# Builds the given modules (default: bench) and what they depend on, offline, without tests.
bench_build() {
  local modules="${1:-bench}"
  echo "building $modules and what they need (offline) ..."
  ./mvnw -B -q -o -pl "$modules" -am package -DskipTests -Dspotless.check.skip=true
}

# Prints a classpath of private copies of the bench jar and the reactor modules' jars. Other
# engineers rebuild those jars in the same tree while a benchmark runs; a JVM that loads a class
# lazily from a jar replaced under it fails with NoClassDefFoundError. Jars from the local Maven
# repository are left where they are.
bench_classpath() {
  local dir="$1" entry copy classpath
  rm -rf "$dir"
  mkdir -p "$dir"
  cp bench/target/bench-0.1.0-SNAPSHOT.jar "$dir/"
  classpath="$dir/bench-0.1.0-SNAPSHOT.jar"
  IFS=':' read -r -a entries < bench/target/runtime-classpath.txt
  for entry in "${entries[@]}"; do
    if [[ "$entry" == "$PWD"/* ]]; then
      copy="$dir/$(basename "$entry")"
      if [[ -d "$entry" ]]; then
        # target/classes of a module that was not packaged: name the copy after the module.
        copy="$dir/$(basename "$(dirname "$(dirname "$entry")")")-classes"
      fi
      cp -r "$entry" "$copy"
      classpath="$classpath:$copy"
    else
      classpath="$classpath:$entry"
    fi
  done
  echo "$classpath"
}
