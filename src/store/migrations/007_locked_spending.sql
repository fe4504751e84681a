-- What a phone number (and a merchant with a daily cap) has committed, read after taking their
-- advisory locks, in one round trip. A plpgsql function because each statement in it takes a new
-- snapshot: the sums see every payment committed before the locks were granted, which one plain
-- SQL statement (whose snapshot is taken before its own locks) would not.
-- Two-key advisory locks: namespace 1 for phones, 2 for merchants (apart from the jobs' one-key locks).
CREATE FUNCTION locked_spending(p_phone text, p_merchant text, p_month_start timestamptz, p_day_start timestamptz, p_states text[], p_exclude text)
RETURNS TABLE (phone_minor numeric, merchant_minor numeric)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1, hashtext(p_phone));
  IF p_merchant IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(2, hashtext(p_merchant));
  END IF;
  RETURN QUERY SELECT
    COALESCE((SELECT sum(amount_minor) FROM payments
               WHERE phone_number = p_phone AND COALESCE(payment_date, created_at) >= p_month_start AND status = ANY(p_states) AND id <> p_exclude), 0)
    - COALESCE((SELECT sum(r.amount_minor) FROM refunds r JOIN payments p ON p.id = r.payment_id
                 WHERE p.phone_number = p_phone AND COALESCE(p.payment_date, p.created_at) >= p_month_start AND r.status = 'succeeded'), 0),
    CASE WHEN p_merchant IS NULL THEN 0
         ELSE COALESCE((SELECT sum(amount_minor) FROM payments
                         WHERE merchant_id = p_merchant AND created_at >= p_day_start AND status = ANY(p_states) AND id <> p_exclude), 0) END;
END $$;
