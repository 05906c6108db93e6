export { simulateShutdown, simulateSignal, type SimulatedShutdown } from './simulate-shutdown.js';
