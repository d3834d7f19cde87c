#!/usr/bin/env node
// The `promoter` command: compiled from src/cli (npm run build).
require('../dist/cli/main.js');
