export * from './on-shutdown-options.interface.js';
export * from './shutdown-context.interface.js';
export * from './shutdown-options.interface.js';
export * from './shutdown-report.interface.js';
export * from './shutdown-plan.interface.js';
export * from './shutdown-options-factory.interface.js';
export * from './register-hook-options.interface.js';
