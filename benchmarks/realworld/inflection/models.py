"""Model and field names of a mid-sized web application (an online shop with a back office), as an
ORM or an API generator sees them: the input of the inflection workloads."""

MODELS = [
    "User", "UserProfile", "Address", "Country", "Region", "City", "Company", "Person", "Employee",
    "Department", "Role", "Permission", "Group", "Session", "LoginAttempt", "ApiKey", "AuditLog",
    "Category", "SubCategory", "Product", "ProductVariant", "ProductImage", "Brand", "Supplier",
    "Warehouse", "StockLevel", "Inventory", "PriceList", "Discount", "Coupon", "Promotion", "Tax",
    "Currency", "ExchangeRate", "Cart", "CartItem", "Order", "OrderItem", "OrderStatus", "Invoice",
    "InvoiceLine", "Payment", "PaymentMethod", "Refund", "Shipment", "ShipmentItem", "Carrier",
    "TrackingEvent", "Return", "ReturnReason", "Review", "Rating", "Wishlist", "WishlistEntry",
    "Newsletter", "Subscription", "Campaign", "EmailTemplate", "Notification", "Message", "Thread",
    "Attachment", "Comment", "Tag", "Tagging", "Page", "MenuEntry", "Banner", "Setting", "Feature",
    "FeatureFlag", "Analysis", "Report", "Metric", "Series", "Dashboard", "Widget", "Query",
    "Batch", "Job", "Task", "Schedule", "Entry", "Activity", "History", "Status", "Alias", "Child",
    "Man", "Woman", "Box", "Matrix", "Index", "Vertex", "Crisis", "Thesis", "Basis", "Octopus",
    "Mouse", "Half", "Knife", "Life", "Wife", "Leaf", "Hive", "Datum", "Medium", "Quiz", "Ox",
    "Fish", "Sheep", "Equipment", "Information", "Money", "Rice", "Species", "Move", "Cow", "Zombie",
]

FIELDS = [
    "id", "user_id", "created_at", "updated_at", "first_name", "last_name", "email_address",
    "phone_number", "street_line_1", "postal_code", "country_code", "is_active", "is_staff",
    "last_login_at", "order_total", "tax_amount", "discount_code", "shipping_method_id",
    "tracking_number", "invoice_number", "due_date", "paid_at", "product_sku", "unit_price",
    "quantity_ordered", "warehouse_id", "stock_on_hand", "reorder_level", "supplier_ref",
    "category_path", "meta_description", "seo_title", "hero_image_url", "sort_order",
]
