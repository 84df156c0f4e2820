import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.spec.ts'],
      // Element Plus style imports (.css) must go through Vite, not Node.
      server: { deps: { inline: [/element-plus/] } },
    },
  }),
);
