namespace Flexoraa.Leads.Fields;

/// <summary>What a custom field holds; sent and stored by its camelCase name (text, number, date, boolean, singleSelect).</summary>
public enum LeadFieldType
{
    Text,
    Number,
    Date,
    Boolean,
    SingleSelect,
}
