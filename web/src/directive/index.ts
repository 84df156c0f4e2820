import type { App } from 'vue';
import { hasPermi } from './permission/hasPermi';

export function installDirectives(app: App): void {
  app.directive('hasPermi', hasPermi);
}
