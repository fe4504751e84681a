/** The confirmation page's words, in English and Korean (chosen by Accept-Language). */
export const TEXTS = {
  en: {
    title: 'Confirm your purchase',
    asks: (merchant: string) => `${merchant} asks to bill this purchase to your phone bill.`,
    amount: 'Amount',
    item: 'For',
    codeLabel: 'Code from the SMS',
    confirm: 'Confirm purchase',
    resend: 'Send a new code',
    resent: 'A new code is on its way.',
    waiting: 'Confirmed. Waiting for the merchant to complete the purchase…',
    success: 'Payment complete.',
    certificate: 'Your gift certificate code',
    certificateOnce: 'It is shown here this once, and was sent to you by SMS.',
    certificateEnding: (last: string) => `Your gift certificate code ends in ${last}; it was sent to you by SMS.`,
    linkExpired: 'This payment link has expired.',
    failed: 'This payment did not go through.',
    wrongCode: (left: string) => `That code is not right. ${left}`,
    reasons: {
      cancelled: 'The purchase was cancelled.',
      denied: 'The payment was refused: too many wrong codes, an expired code, or the carrier declined.',
      expired: 'The code has expired. Ask the merchant to start again.',
    },
    notFound: 'This payment link is not valid.',
    tooMany: 'Too many attempts. Please wait a minute.',
    invalidForm: 'The form expired. Please try again.',
  },
  ko: {
    title: '구매 확인',
    asks: (merchant: string) => `${merchant}에서 이 구매 금액을 휴대폰 요금으로 청구하려고 합니다.`,
    amount: '금액',
    item: '상품',
    codeLabel: 'SMS로 받은 인증번호',
    confirm: '구매 확인',
    resend: '인증번호 다시 받기',
    resent: '새 인증번호를 보냈습니다.',
    waiting: '확인되었습니다. 판매자가 구매를 완료하기를 기다리는 중…',
    success: '결제가 완료되었습니다.',
    certificate: '상품권 번호',
    certificateOnce: '이 번호는 여기에서 한 번만 보여 드리며, SMS로도 보내 드렸습니다.',
    certificateEnding: (last: string) => `상품권 번호는 ${last}(으)로 끝납니다. SMS로 보내 드렸습니다.`,
    linkExpired: '만료된 결제 링크입니다.',
    failed: '결제가 완료되지 않았습니다.',
    wrongCode: (left: string) => `인증번호가 올바르지 않습니다. ${left}`,
    reasons: {
      cancelled: '구매가 취소되었습니다.',
      denied: '결제가 거절되었습니다: 인증번호 오류가 많거나, 만료되었거나, 통신사가 거절했습니다.',
      expired: '인증번호가 만료되었습니다. 판매자에게 다시 요청하세요.',
    },
    notFound: '유효하지 않은 결제 링크입니다.',
    tooMany: '시도가 너무 많습니다. 잠시 후 다시 시도하세요.',
    invalidForm: '양식이 만료되었습니다. 다시 시도하세요.',
  },
} as const;

export type Language = keyof typeof TEXTS;
export type Texts = (typeof TEXTS)[Language];

/** Korean when the browser prefers it, English otherwise. */
export function languageOf(acceptLanguage: string | undefined): Language {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('ko') ? 'ko' : 'en';
}
