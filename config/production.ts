/**
 * What changes when GATEWAY_ENV=production: no simulator, no generated secrets, and carriers
 * must come from a carriers file (CARRIERS_FILE) since there is no simulated network to point at.
 */
export const production = {
  env: 'production',
  simulator: { enabled: false, port: 8090 },
  carriers: [],
};
