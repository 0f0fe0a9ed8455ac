import { BodyBudget } from './body-budget';

describe('BodyBudget', () => {
  it('takes bytes while they fit and refuses the chunk that would pass the capacity', () => {
    const budget = new BodyBudget(100);
    expect(budget.tryTake(60)).toBe(true);
    expect(budget.tryTake(41)).toBe(false);
    expect(budget.inFlight).toBe(60);
    expect(budget.tryTake(40)).toBe(true);
  });

  it('makes released bytes available again and never goes below zero', () => {
    const budget = new BodyBudget(100);
    budget.tryTake(100);
    budget.release(100);
    budget.release(5);
    expect(budget.inFlight).toBe(0);
    expect(budget.tryTake(100)).toBe(true);
  });
});
