namespace Device.Broker
{
    /// <summary>What a password check says about a user name and password (<see cref="Users.Check"/>).</summary>
    public enum AuthResult
    {
        Accepted = 0,
        UnknownUser = 1,
        WrongPassword = 2,
    }
}
