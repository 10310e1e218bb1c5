export * from './config.js';
export * from './events.js';
export * from './histogram.js';
export * from './learning.js';
export * from './records.js';
export * from './contract.js';
export * from './settings.js';
export * from './client.js';
