using System.Collections.Generic;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    public class AclFileTests
    {
        [Fact]
        public void Topic_user_and_pattern_lines_become_rules_in_order()
        {
            List<AclRule> rules = AclFile.Parse("acl", new[]
            {
                "# anonymous clients",
                "topic read public/#",
                "",
                "user alice",
                "topic readwrite alice/+/in",
                "topic deny alice/secret",
                "topic write with space/in name",
                "topic lonely",
                "pattern write devices/%c/%u/#",
            }, out List<FileError> errors);

            Assert.Empty(errors);
            Assert.Equal(6, rules.Count);
            Assert.Equal((false, null, AclAccess.Read, "public/#", 2), Shape(rules[0]));
            Assert.Equal((false, "alice", AclAccess.ReadWrite, "alice/+/in", 5), Shape(rules[1]));
            Assert.Equal((false, "alice", AclAccess.Deny, "alice/secret", 6), Shape(rules[2]));
            Assert.Equal((false, "alice", AclAccess.Write, "with space/in name", 7), Shape(rules[3]));
            Assert.Equal((false, "alice", AclAccess.ReadWrite, "lonely", 8), Shape(rules[4]));
            Assert.Equal((true, null, AclAccess.Write, "devices/%c/%u/#", 9), Shape(rules[5]));
        }

        [Theory]
        [InlineData("user", "user needs a name")]
        [InlineData("topic", "topic needs a topic filter")]
        [InlineData("topic read a/b#", "'a/b#' is not a valid topic filter: a wildcard must fill a whole level")]
        [InlineData("pattern read #/x", "'#/x' is not a valid topic filter: '#' must be the last level")]
        [InlineData("topics read a", "unknown keyword 'topics' (expected user, topic or pattern)")]
        public void A_bad_line_is_reported_with_its_number_and_reason(string line, string reason)
        {
            AclFile.Parse("acl", new[] { "topic read ok", line }, out List<FileError> errors);

            FileError e = Assert.Single(errors);
            Assert.Equal(2, e.Line);
            Assert.Equal(reason, e.Reason);
        }

        private static (bool, string, AclAccess, string, int) Shape(AclRule r)
        {
            return (r.IsPattern, r.User, r.Access, r.Topic, r.Line);
        }
    }
}
