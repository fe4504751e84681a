import type { Language } from './texts.js';

/** The three-legged sign-in and approval pages' words, in English and Korean. */
export const GRANT_TEXTS = {
  en: {
    title: 'Allow access to your phone number',
    asks: (merchant: string) => `${merchant} asks to use your phone number to:`,
    abilities: {
      'carrier-billing:payments:create': 'bill purchases to your phone bill',
      'carrier-billing:payments:read': 'see those payments',
      'carrier-billing:payments:write': 'confirm or cancel them',
      'carrier-billing-refund:refunds:create': 'refund them',
      'carrier-billing-refund:refunds:read': 'see their refunds',
    } as Readonly<Record<string, string>>,
    numberLabel: 'Your mobile number (+82…)',
    sendCode: 'Send me a code',
    codeLabel: 'Code from the SMS',
    approve: 'Allow',
    deny: 'Refuse',
    approved: (merchant: string) => `You allowed ${merchant}. You can go back to it now.`,
    denied: 'You refused. Nothing was shared.',
    revokeLater: 'You can take this back at any time on your self-service page or by asking your carrier.',
    linkExpired: 'This link has expired. Ask the merchant to start again.',
    wrongCode: (left: number) => `That code is not right. ${left} attempt(s) left.`,
    notFound: 'This link is not valid.',
    badRequest: 'This sign-in link is not valid. Go back to the merchant and try again.',
    tooMany: 'Too many attempts. Please wait a minute.',
    otherBrowser: 'Please answer in the browser where you started signing in.',
  },
  ko: {
    title: '휴대폰 번호 사용 허용',
    asks: (merchant: string) => `${merchant}에서 회원님의 휴대폰 번호로 다음을 하려고 합니다:`,
    abilities: {
      'carrier-billing:payments:create': '구매 금액을 휴대폰 요금으로 청구',
      'carrier-billing:payments:read': '그 결제 내역 보기',
      'carrier-billing:payments:write': '결제 확인 또는 취소',
      'carrier-billing-refund:refunds:create': '환불',
      'carrier-billing-refund:refunds:read': '환불 내역 보기',
    } as Readonly<Record<string, string>>,
    numberLabel: '휴대폰 번호 (+82…)',
    sendCode: '인증번호 받기',
    codeLabel: 'SMS로 받은 인증번호',
    approve: '허용',
    deny: '거부',
    approved: (merchant: string) => `${merchant}에 허용했습니다. 이제 돌아가셔도 됩니다.`,
    denied: '거부했습니다. 아무것도 공유되지 않았습니다.',
    revokeLater: '셀프서비스 페이지나 통신사를 통해 언제든지 철회할 수 있습니다.',
    linkExpired: '만료된 링크입니다. 판매자에게 다시 요청하세요.',
    wrongCode: (left: number) => `인증번호가 올바르지 않습니다. ${left}회 남았습니다.`,
    notFound: '유효하지 않은 링크입니다.',
    badRequest: '유효하지 않은 로그인 링크입니다. 판매자 화면으로 돌아가 다시 시도하세요.',
    tooMany: '시도가 너무 많습니다. 잠시 후 다시 시도하세요.',
    otherBrowser: '로그인을 시작한 브라우저에서 진행해 주세요.',
  },
} as const;

export type GrantTexts = (typeof GRANT_TEXTS)[Language];
