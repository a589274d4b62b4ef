namespace EventSourcedClinic.Domain.Patients;

/// <summary>
/// A 10-digit NHS number whose last digit is the Modulus 11 check digit of the first nine
/// (weights 10 down to 2; a remainder giving 10 means the number was never issued).
/// </summary>
public readonly record struct NhsNumber
{
    private NhsNumber(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    public static bool TryParse(string? input, out NhsNumber number)
    {
        number = default;
        if (input is null)
        {
            return false;
        }

        var digits = input.Replace(" ", "").Replace("-", "");
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        if (check == 10 || check != digits[9] - '0')
        {
            return false;
        }

        number = new NhsNumber(digits);
        return true;
    }
}
