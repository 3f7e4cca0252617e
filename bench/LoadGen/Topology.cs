using System;

namespace LoadGen
{
    public enum Topology
    {
        /// <summary>10 publishers, 1 subscriber on the same topic.</summary>
        FanIn,

        /// <summary>1 publisher, 10 subscribers on its topic.</summary>
        FanOut,

        /// <summary>10 publisher/subscriber pairs, each on its own topic.</summary>
        Pairs,
    }
}
