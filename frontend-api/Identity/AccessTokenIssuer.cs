using System.Security.Claims;
using Flexoraa.Tenants;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>Issues short-lived HS256 access tokens and states exactly what a valid one looks like.</summary>
public sealed class AccessTokenIssuer(AuthSettings settings, SymmetricSecurityKey key, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessToken Issue(string userId, string email, string displayName, string tenantId, TenantRole role)
    {
        var now = clock.GetUtcNow();
        var expires = now + settings.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(FlexoraaClaims.UserId, userId),
                new Claim(FlexoraaClaims.TenantId, tenantId),
                new Claim(FlexoraaClaims.Role, TenantRoleNames.Of(role)),
                new Claim(FlexoraaClaims.Email, email),
                new Claim(FlexoraaClaims.Name, displayName),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
        });
        return new AccessToken(token, expires);
    }

    /// <summary>Only HS256 with our key, issuer and audience, within its lifetime: <c>alg: none</c> and foreign keys fail.</summary>
    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = settings.Issuer,
        ValidAudience = settings.Audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = FlexoraaClaims.Name,
        RoleClaimType = FlexoraaClaims.Role,
    };
}

public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);
