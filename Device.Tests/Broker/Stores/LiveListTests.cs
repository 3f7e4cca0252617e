using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>Stores/LiveList.cs: the packed list of live slots that Subscriptions and Retained scan.</summary>
    [TestClass]
    public class LiveListTests
    {
        private static bool Holds(LiveList l, int slot)
        {
            for (int k = 0; k < l.Count; k++)
            {
                if (l.At(k) == slot)
                {
                    return true;
                }
            }

            return false;
        }

        [TestMethod]
        public void Removing_any_slot_keeps_every_other_slot_exactly_once()
        {
            LiveList l = new LiveList(6);
            int[] slots = { 4, 0, 5, 2, 1, 3 };
            for (int i = 0; i < slots.Length; i++)
            {
                l.Add(slots[i]);
            }

            Assert.AreEqual(6, l.Count);
            int[] removeOrder = { 5, 4, 3, 0, 2, 1 };
            for (int i = 0; i < removeOrder.Length; i++)
            {
                l.Remove(removeOrder[i]);
                Assert.AreEqual(5 - i, l.Count);
                Assert.IsFalse(Holds(l, removeOrder[i]), "removed slot still listed");
                for (int j = i + 1; j < removeOrder.Length; j++)
                {
                    Assert.IsTrue(Holds(l, removeOrder[j]), "slot " + removeOrder[j].ToString() + " lost");
                }
            }
        }

        [TestMethod]
        public void Slot_removed_and_added_again_is_listed_once()
        {
            LiveList l = new LiveList(3);
            l.Add(0);
            l.Add(1);
            l.Add(2);
            l.Remove(0);
            l.Add(0);
            l.Remove(2);
            Assert.AreEqual(2, l.Count);
            Assert.IsTrue(Holds(l, 0));
            Assert.IsTrue(Holds(l, 1));
            Assert.IsFalse(Holds(l, 2));
            l.Remove(1);
            l.Remove(0);
            Assert.AreEqual(0, l.Count);
        }
    }
}
