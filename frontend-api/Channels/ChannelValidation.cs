using System.Text.RegularExpressions;
using Flexoraa.Channels;

namespace Flexoraa.FrontendApi.Channels;

/// <summary>Checks channel requests field by field; every message names the JSON field it is about.</summary>
public static partial class ChannelValidation
{
    public const int MaxTokenLength = 4096;
    public const int MaxSecretLength = 256;
    public const int MaxDisplayNameLength = 200;

    /// <summary>The fields that carry each channel's external id and token, and those that only other channels use.</summary>
    private static readonly Dictionary<ChannelKind, (string Id, string Token, string[] Foreign)> Fields = new()
    {
        [ChannelKind.WhatsApp] = ("phoneNumberId", "accessToken", ["pageId", "pageAccessToken", "instagramAccountId"]),
        [ChannelKind.Messenger] = ("pageId", "pageAccessToken", ["phoneNumberId", "wabaId", "accessToken", "phoneNumber", "instagramAccountId"]),
        [ChannelKind.Instagram] = ("instagramAccountId", "accessToken", ["phoneNumberId", "wabaId", "phoneNumber", "pageId", "pageAccessToken"]),
    };

    public static Dictionary<string, string[]> ForConnect(ConnectChannelRequest request, bool deploymentHasAppSecret)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ChannelKindNames.TryParse(request.Channel, out var channel))
        {
            errors["channel"] = [$"Required: one of {ChannelKindNames.WhatsApp}, {ChannelKindNames.Messenger}, {ChannelKindNames.Instagram}."];
            return errors;
        }

        var name = ChannelKindNames.Of(channel);
        var (idField, tokenField, foreign) = Fields[channel];
        CheckMetaId(errors, idField, request.ExternalAccountIdFor(channel), required: true);
        if (channel == ChannelKind.WhatsApp) CheckMetaId(errors, "wabaId", request.WabaId, required: true);
        CheckSecret(errors, tokenField, request.AccessTokenFor(channel), MaxTokenLength, required: true);

        var given = new Dictionary<string, string?>
        {
            ["phoneNumberId"] = request.PhoneNumberId, ["wabaId"] = request.WabaId, ["accessToken"] = request.AccessToken,
            ["phoneNumber"] = request.PhoneNumber, ["pageId"] = request.PageId, ["pageAccessToken"] = request.PageAccessToken,
            ["instagramAccountId"] = request.InstagramAccountId,
        };
        foreach (var field in foreign.Where(f => given[f] is not null))
        {
            errors[field] = [$"Not used for {name} accounts{(field is "accessToken" or "pageAccessToken" ? $"; send the token as {tokenField}" : "")}."];
        }

        CheckCommon(errors, channel, request.DisplayName, request.PhoneNumber, request.AppSecret, request.VerifyToken);
        if (request.AppSecret is null && !deploymentHasAppSecret)
        {
            errors["appSecret"] = ["Required: this deployment has no Meta app of its own (Flexoraa:Meta:AppSecret), so give the App Secret of the Meta app this account is connected to."];
        }
        return errors;
    }

    public static Dictionary<string, string[]> ForUpdate(UpdateChannelRequest request, ChannelKind channel)
    {
        var errors = new Dictionary<string, string[]>();
        var (_, tokenField, _) = Fields[channel];
        var (token, otherToken, otherField) = channel == ChannelKind.Messenger
            ? (request.PageAccessToken, request.AccessToken, "accessToken")
            : (request.AccessToken, request.PageAccessToken, "pageAccessToken");
        CheckSecret(errors, tokenField, token, MaxTokenLength, required: false);
        if (otherToken is not null) errors[otherField] = [$"Not used for {ChannelKindNames.Of(channel)} accounts; send the token as {tokenField}."];
        if (channel != ChannelKind.WhatsApp && request.PhoneNumber is not null) errors["phoneNumber"] = [$"Not used for {ChannelKindNames.Of(channel)} accounts."];
        CheckCommon(errors, channel, request.DisplayName, channel == ChannelKind.WhatsApp ? request.PhoneNumber : null, request.AppSecret, request.VerifyToken);
        return errors;
    }

    private static void CheckCommon(Dictionary<string, string[]> errors, ChannelKind channel, string? displayName, string? phoneNumber, string? appSecret, string? verifyToken)
    {
        if (displayName is not null && (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > MaxDisplayNameLength))
        {
            errors["displayName"] = [$"Must be 1 to {MaxDisplayNameLength} characters."];
        }
        if (channel == ChannelKind.WhatsApp && phoneNumber is not null && !E164().IsMatch(phoneNumber))
        {
            errors["phoneNumber"] = ["Must be an E.164 number such as +919812345678."];
        }
        CheckSecret(errors, "appSecret", appSecret, MaxSecretLength, required: false);
        if (verifyToken is not null && (string.IsNullOrWhiteSpace(verifyToken) || verifyToken.Length > MaxSecretLength || verifyToken.Any(char.IsControl)))
        {
            errors["verifyToken"] = [$"Must be 1 to {MaxSecretLength} printable characters, the same as typed into Meta's webhook settings."];
        }
    }

    private static void CheckMetaId(Dictionary<string, string[]> errors, string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required) errors[field] = ["Required: Meta's numeric id, as shown in the Meta app dashboard."];
        }
        else if (!MetaId().IsMatch(value))
        {
            errors[field] = ["Must be Meta's numeric id (digits only, sent as a string)."];
        }
    }

    private static void CheckSecret(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool required)
    {
        if (value is null)
        {
            if (required) errors[field] = ["Required."];
        }
        else if (value.Length == 0 || value.Length > maxLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors[field] = [$"Must be 1 to {maxLength} characters without spaces, exactly as Meta shows it."];
        }
    }

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex MetaId();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
