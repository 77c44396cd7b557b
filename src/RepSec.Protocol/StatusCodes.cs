namespace RepSec.Protocol;

/// <summary>The draft's numeric status codes; no others are ever sent.</summary>
public static class StatusCodes
{
    public const int Ok = 200;
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int Forbidden = 403;
    public const int NotFound = 404;
    public const int Conflict = 409;
    public const int TooManyRequests = 429;
    public const int ServerError = 500;
}
