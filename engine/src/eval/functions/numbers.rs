//! Numeric functions beyond the basics: `log`, `pow`, `signum`, `parseint`.

use provision_core::Value;

use super::{Arguments, FunctionError, FunctionResult};

pub(super) fn log(arguments: &Arguments) -> FunctionResult {
    let number = arguments.number(0, "num")?;
    let base = arguments.number(1, "base")?;
    let result = number.ln() / base.ln();
    if result.is_nan() {
        return Err(FunctionError::call(format!(
            "the logarithm of {number} in base {base} is not a number"
        )));
    }
    Ok(Value::Number(result))
}

pub(super) fn pow(arguments: &Arguments) -> FunctionResult {
    let number = arguments.number(0, "num")?;
    let power = arguments.number(1, "power")?;
    Ok(Value::Number(number.powf(power)))
}

pub(super) fn signum(arguments: &Arguments) -> FunctionResult {
    let number = arguments.number(0, "num")?;
    if number.fract() != 0.0 || !number.is_finite() {
        return Err(FunctionError::call(
            "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
        ));
    }
    Ok(Value::Number(if number > 0.0 {
        1.0
    } else if number < 0.0 {
        -1.0
    } else {
        0.0
    }))
}

/// `parseint(string, base)`, bases 2 to 62: digits, then lower-case letters, then (above 36)
/// upper-case letters; up to base 36 letters are case-insensitive (Go's `big.Int.SetString`).
pub(super) fn parseint(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "number")?;
    let base = arguments.number(1, "base")?;
    if base.fract() != 0.0 || !(2.0..=62.0).contains(&base) {
        return Err(FunctionError::argument(
            1,
            "base must be a whole number between 2 and 62 inclusive",
        ));
    }
    let base = base as u32;
    let failure = || {
        FunctionError::argument(
            0,
            format!("cannot parse \"{text}\" as a base {base} integer"),
        )
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    if digits.is_empty() {
        return Err(failure());
    }
    let mut total: f64 = 0.0;
    for character in digits.chars() {
        let digit = match character {
            '0'..='9' => character as u32 - '0' as u32,
            'a'..='z' => character as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => character as u32 - 'A' as u32 + 10,
            'A'..='Z' => character as u32 - 'A' as u32 + 36,
            _ => return Err(failure()),
        };
        if digit >= base {
            return Err(failure());
        }
        total = total * f64::from(base) + f64::from(digit);
    }
    Ok(Value::Number(if negative { -total } else { total }))
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{n, ok, run, s};
    use super::*;

    #[test]
    fn log_pow_signum() {
        assert_eq!(ok("log", vec![n(50.0), n(10.0)]), n(1.6989700043360185));
        assert_eq!(ok("log", vec![n(16.0), n(2.0)]), n(4.0));
        assert_eq!(ok("log", vec![n(0.0), n(10.0)]), n(f64::NEG_INFINITY));
        assert!(run("log", vec![n(-1.0), n(10.0)]).is_err());
        assert_eq!(ok("pow", vec![n(3.0), n(2.0)]), n(9.0));
        assert_eq!(ok("pow", vec![n(4.0), n(0.5)]), n(2.0));
        assert_eq!(ok("signum", vec![n(-13.0)]), n(-1.0));
        assert_eq!(ok("signum", vec![n(0.0)]), n(0.0));
        assert_eq!(ok("signum", vec![n(344.0)]), n(1.0));
        assert!(run("signum", vec![n(2.5)])
            .unwrap_err()
            .message
            .contains("whole number"));
        assert!(matches!(ok("abs", vec![n(-0.0)]), Value::Number(zero) if zero == 0.0));
    }

    #[test]
    fn parseint_reads_bases_2_to_62() {
        assert_eq!(ok("parseint", vec![s("100"), n(10.0)]), n(100.0));
        assert_eq!(ok("parseint", vec![s("FF"), n(16.0)]), n(255.0));
        assert_eq!(ok("parseint", vec![s("-10"), n(16.0)]), n(-16.0));
        assert_eq!(
            ok("parseint", vec![s("1011111011101111"), n(2.0)]),
            n(48879.0)
        );
        assert_eq!(ok("parseint", vec![s("aA"), n(62.0)]), n(656.0));
        assert_eq!(ok("parseint", vec![s("zz"), n(36.0)]), n(1295.0));
        let bad = run("parseint", vec![s("12"), n(2.0)]).unwrap_err();
        assert_eq!(bad.message, "cannot parse \"12\" as a base 2 integer");
        assert!(run("parseint", vec![s(""), n(10.0)]).is_err());
        assert!(run("parseint", vec![s("1.5"), n(10.0)]).is_err());
        assert_eq!(
            run("parseint", vec![s("10"), n(1.0)]).unwrap_err().argument,
            Some(1)
        );
    }
}
