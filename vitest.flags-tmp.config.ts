import { defineConfig, mergeConfig } from 'vitest/config';
import base from '/work/main/vitest.config.ts';
export default mergeConfig(base, defineConfig({ test: { execArgv: (process.env.PROBE_FLAGS ?? '').split(' ').filter(Boolean) } }));
