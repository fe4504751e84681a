import { ConfigError } from '../config/load.js';
import { start } from './main.js';
import { demoMerchant } from './services/operators/demo-merchant.js';

const DEMO_MERCHANT = 'Demo Shop';
const DEMO_PHONE = '+821012345678';

/**
 * `npm start`: the whole gateway on its embedded defaults, a demo merchant (its secret renewed at
 * each start, since only a hash is kept), and a walk-through that works as printed.
 */
async function runDemo(): Promise<void> {
  if (process.env.GATEWAY_ENV === 'production') {
    // The demo creates a merchant and prints its secret: never in production.
    throw new ConfigError('GATEWAY_ENV=production: npm start is the demo; start production with npm run start:prod');
  }
  const gateway = await start();
  const merchant = await demoMerchant(gateway.context, DEMO_MERCHANT);

  const simulatorUrl = gateway.simulator?.url ?? '(simulator off)';
  const url = gateway.url;
  const sms = `${simulatorUrl}/simulator/v1/sms?to=%2B${DEMO_PHONE.slice(1)}`;
  console.log(`
Carrier-billing gateway ready.
  gateway      ${url}
  simulator    ${simulatorUrl}
  API docs     ${url}/docs   (dashboard: ${url}/admin)
  operator     OPERATOR_TOKEN=${gateway.operatorToken}
  demo merchant ${DEMO_MERCHANT}: CLIENT_ID=${merchant.clientId} CLIENT_SECRET=${merchant.clientSecret}

A first payment (copy and paste into another shell; needs curl and jq):

  GW=${url}; SIM=${simulatorUrl}
  TOKEN=$(curl -s -u '${merchant.clientId}:${merchant.clientSecret}' -d grant_type=client_credentials $GW/oauth/token | jq -r .access_token)
  PAY=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' $GW/carrier-billing/v0.5/payments/prepare \\
    -d '{"amountTransaction":{"phoneNumber":"${DEMO_PHONE}","clientCorrelator":"demo-'$RANDOM'","referenceCode":"order-'$RANDOM'","paymentAmount":{"chargingInformation":{"amount":1500,"currency":"KRW","description":"Gift card"}}}}')
  ID=$(echo "$PAY" | jq -r .paymentId); AUTH=$(echo "$PAY" | jq -r .validationInfo.authorizationId)
  CODE=$(curl -s "${sms}" | jq -r '.[-1].text' | grep -o 'Code: [0-9]*' | cut -c7-)
  curl -s -o /dev/null -w 'validate %{http_code}\\n' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' $GW/carrier-billing/v0.5/payments/$ID/validate -d '{"authorizationId":"'$AUTH'","code":"'$CODE'"}'
  curl -s -o /dev/null -w 'confirm %{http_code}\\n' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' $GW/carrier-billing/v0.5/payments/$ID/confirm -d '{"phoneNumber":"${DEMO_PHONE}"}'
  curl -s -H "Authorization: Bearer $TOKEN" $GW/carrier-billing/v0.5/payments/$ID | jq .paymentStatus
  curl -s -H "Authorization: Bearer $TOKEN" "$GW/gift-certificates/v1/certificates?paymentId=$ID" | jq '.[0].code'
  curl -s "${sms}" | jq -r '.[].text'
`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void gateway.stop().then(() => process.exit(0)));
  }
}

await runDemo().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
