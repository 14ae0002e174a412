"""Speed to lead: a workspace response target and the leads it is waiting on."""
