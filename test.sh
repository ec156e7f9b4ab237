#!/usr/bin/env bash
# The test command (README, "Tests"): builds everything with warnings as errors and runs every test
# project, writing one TRX file per project (test/Directory.Build.props). Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Forgewatch.slnx -c Release --nologo -v quiet
dotnet test Forgewatch.slnx -c Release --no-build --nologo "$@"
