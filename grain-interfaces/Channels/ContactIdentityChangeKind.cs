namespace Flexoraa.Channels;

/// <summary>What a WhatsApp <c>system</c> message says changed about the customer.</summary>
public enum ContactIdentityChangeKind
{
    /// <summary><c>user_changed_number</c>: the customer now writes from another number (and so has a new BSUID).</summary>
    NumberChanged = 0,

    /// <summary><c>user_changed_user_id</c>: the customer's business-scoped user id changed; no number is named.</summary>
    UserIdChanged = 1,
}
