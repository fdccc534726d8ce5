using System.Net.Mail;

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>Field rules for sign-up and login bodies; each failure names its field.</summary>
public static class AccountValidation
{
    public const int MinPasswordLength = 10;

    public static Dictionary<string, string[]> ForSignup(SignupRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        CheckEmail(request.Email, errors);
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length < MinPasswordLength)
            errors["password"] = [$"The password needs at least {MinPasswordLength} characters."];
        else if (request.Password.Length > 256) errors["password"] = ["The password is at most 256 characters."];
        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Trim().Length > 200)
            errors["displayName"] = ["Your name is required (at most 200 characters)."];
        if (string.IsNullOrWhiteSpace(request.CompanyName) || request.CompanyName.Trim().Length > 120)
            errors["companyName"] = ["The company name is required (at most 120 characters)."];
        return errors;
    }

    public static Dictionary<string, string[]> ForLogin(LoginRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Email is required."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Password is required."];
        return errors;
    }

    public static void CheckEmail(string? email, Dictionary<string, string[]> errors, string field = "email")
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 320 || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim())
        {
            errors[field] = ["A valid email address is required."];
        }
    }
}
