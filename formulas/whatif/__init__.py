"""What-if (PRODUCT.md section 3c): the pay of real past months under the Scenario tab's rules beside `Rules`."""
